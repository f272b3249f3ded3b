<?php
// CleanShift test sample: the technique is real, the payload is harmless.
if (false) {
    eval($_POST['k']);
}
