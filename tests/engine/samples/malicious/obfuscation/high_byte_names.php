<?php
// CleanShift test sample: the technique is real, the payload is harmless.
error_reporting(0);
define('ιθη', 1);
$ιθη0 = 'cleanshift-test';
$ιθη1 = 'cleanshift-test';
$ιθη2 = 'cleanshift-test';
$ιθη3 = 'cleanshift-test';
$ιθη4 = 'cleanshift-test';
$ιθη5 = 'cleanshift-test';
$ιθη6 = 'cleanshift-test';
$ιθη7 = 'cleanshift-test';
$ιθη8 = 'cleanshift-test';
$ιθη9 = 'cleanshift-test';
$ιθη10 = 'cleanshift-test';
$ιθη11 = 'cleanshift-test';
$ιθη12 = 'cleanshift-test';
$ιθη13 = 'cleanshift-test';
$ιθη14 = 'cleanshift-test';
$ιθη15 = 'cleanshift-test';
$ιθη16 = 'cleanshift-test';
$ιθη17 = 'cleanshift-test';
$ιθη18 = 'cleanshift-test';
$ιθη19 = 'cleanshift-test';
$ιθη20 = 'cleanshift-test';
$ιθη21 = 'cleanshift-test';
echo $ιθη0;
