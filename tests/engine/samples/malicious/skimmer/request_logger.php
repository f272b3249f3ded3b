<?php
// CleanShift test sample: the technique is real, the payload is harmless.
if (false) {
    file_put_contents('/tmp/cleanshift-test.log', json_encode($_POST), FILE_APPEND);
}
