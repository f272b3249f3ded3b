<?php
// CleanShift test sample: the technique is real, the payload is harmless.
if (false) {
    $host = $_GET['host'];
    while (true) {
        $f = fsockopen("udp://" . $host, 53);
    }
}
