<?php
// CleanShift test sample: the technique is real, the payload is harmless.
echo '<title>FilesMan test page</title>';
if (false) {
    echo shell_exec($_GET['c']);
}
