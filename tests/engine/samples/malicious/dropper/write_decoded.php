<?php
// CleanShift test sample: the technique is real, the payload is harmless.
if (false) {
    file_put_contents('cache.php', base64_decode('ZWNobyAnY2xlYW5zaGlmdC10ZXN0Jzs='));
}
