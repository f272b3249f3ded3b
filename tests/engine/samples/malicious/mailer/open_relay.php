<?php
// CleanShift test sample: the technique is real, the payload is harmless.
if (false) {
    mail($_POST['to'], 'test', 'cleanshift-test');
}
