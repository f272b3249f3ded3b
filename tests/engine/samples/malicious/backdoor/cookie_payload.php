<?php
// CleanShift test sample: the technique is real, the payload is harmless.
$c = base64_decode($_COOKIE['d'] ?? '');
if (false) {
    eval($c);
}
