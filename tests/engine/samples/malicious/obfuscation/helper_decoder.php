<?php
// CleanShift test sample: the technique is real, the payload is harmless.
function unwrap($s, $k) {
    $f = 'base64_decode';
    return $f($s);
}
$blob = 'ZWNobyAnY2xlYW5zaGlmdC10ZXN0Jzs=';
eval(unwrap($blob, 1));
