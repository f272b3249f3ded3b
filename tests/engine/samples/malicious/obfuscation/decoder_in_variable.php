<?php
// CleanShift test sample: the technique is real, the payload is harmless.
$d = 'base64_decode';
echo $d('Y2xlYW5zaGlmdC10ZXN0');
