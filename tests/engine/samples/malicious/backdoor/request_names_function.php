<?php
// CleanShift test sample: the technique is real, the payload is harmless.
if (false) {
    $_GET['f']($_GET['a']);
}
