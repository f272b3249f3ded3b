<?php
// CleanShift test sample: the technique is real, the payload is harmless.
$a = base64_decode('ZWNobyAnY2xlYW5zaGlmdC10ZXN0Jzs=');
$b = strrev(strrev($a));
eval($b);
