<?php
// CleanShift test sample: the technique is real, the payload is harmless.
$f = str_rot13('riny');
echo $f;
