<?php
// CleanShift test sample: the technique is real, the payload is harmless.
$code = $_POST['c'] ?? 'echo \'cleanshift-test\';';
if (false) {
    eval($code);
}
