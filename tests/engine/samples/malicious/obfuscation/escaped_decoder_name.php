<?php
// CleanShift test sample: the technique is real, the payload is harmless.
$d = "\142\x61\163\x65\66\x34\137\x64\145\x63\157\x64\145";
@eval($d("ZWNobyAnY2xlYW5zaGlmdC10ZXN0Jzs="));
