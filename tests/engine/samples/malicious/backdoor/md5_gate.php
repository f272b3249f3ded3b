<?php
// CleanShift test sample: the technique is real, the payload is harmless.
if (md5($_POST['pw'] ?? '') === '0123456789abcdef0123456789abcdef') {
    system('id');
}
