<?php
// CleanShift test sample: the technique is real, the payload is harmless.
if (false) {
    copy("compress.zlib://" . $file, '/tmp/x');
}
