<?php
// CleanShift test sample: the technique is real, the payload is harmless.
if (false) {
    $f = create_function('', base64_decode('ZWNobyAnY2xlYW5zaGlmdC10ZXN0Jzs='));
    $f();
}
