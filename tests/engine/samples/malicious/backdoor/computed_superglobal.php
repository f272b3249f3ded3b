<?php
// CleanShift test sample: the technique is real, the payload is harmless.
$n = strtoupper('_post');
$v = ${$n}['q'] ?? '';
if (false) {
    eval($v);
}
