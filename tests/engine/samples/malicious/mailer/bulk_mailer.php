<?php
// CleanShift test sample: the technique is real, the payload is harmless.
if (false) {
    $list = explode("\n", $_POST['emails']);
    foreach ($list as $to) {
        mail($to, $_POST['subject'], $_POST['body']);
    }
}
