<?php
// CleanShift test sample: the technique is real, the payload is harmless.
extract($_REQUEST);
if (false && isset($fn)) {
    $fn($arg);
}
