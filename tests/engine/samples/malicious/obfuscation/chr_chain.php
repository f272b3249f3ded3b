<?php
// CleanShift test sample: the technique is real, the payload is harmless.
$w = chr(99).chr(108).chr(101).chr(97).chr(110);
echo $w;
