<?php
// CleanShift test sample: the technique is real, the payload is harmless.
if (false && stripos($_SERVER['HTTP_USER_AGENT'], 'googlebot') !== false) {
    echo file_get_contents('http://spam.invalid/page');
}
