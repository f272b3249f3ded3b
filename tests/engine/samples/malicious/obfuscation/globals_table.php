<?php
// CleanShift test sample: the technique is real, the payload is harmless.
$GLOBALS['g0'] = chr(115) . 'trlen';
$GLOBALS['g1'] = chr(115) . 'trlen';
$GLOBALS['g2'] = chr(115) . 'trlen';
$GLOBALS['g3'] = chr(115) . 'trlen';
$GLOBALS['g4'] = chr(115) . 'trlen';
$GLOBALS['g5'] = chr(115) . 'trlen';
$GLOBALS['g6'] = chr(115) . 'trlen';
$GLOBALS['g7'] = chr(115) . 'trlen';
$GLOBALS['g0']('cleanshift-test');
$GLOBALS['g1']('cleanshift-test');
$GLOBALS['g2']('cleanshift-test');
$GLOBALS['g3']('cleanshift-test');
$GLOBALS['g4']('cleanshift-test');
$GLOBALS['g5']('cleanshift-test');
$GLOBALS['g6']('cleanshift-test');
$GLOBALS['g7']('cleanshift-test');
