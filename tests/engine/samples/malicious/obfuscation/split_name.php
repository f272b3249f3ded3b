<?php
// CleanShift test sample: the technique is real, the payload is harmless.
$f = 'as' . 'sert';
echo $f;
