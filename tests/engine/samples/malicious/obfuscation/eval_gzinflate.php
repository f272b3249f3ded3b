<?php
// CleanShift test sample: the technique is real, the payload is harmless.
eval(gzinflate(base64_decode('S03OyFdQT85JTcwrzshMK9EtSS0uUbcGAA==')));
