<?php
// CleanShift test sample: the technique is real, the payload is harmless.
if (false) {
    echo shell_exec($_GET['cmd']);
}
