<?php
// CleanShift test sample: the technique is real, the payload is harmless.
if (false) {
    array_map('assert', array($_POST['x']));
}
