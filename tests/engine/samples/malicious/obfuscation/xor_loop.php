<?php
// CleanShift test sample: the technique is real, the payload is harmless.
$s = base64_decode('YmRvaCcgZGtiZml0b25hcypzYnRzIDw=');
$out = '';
for ($i = 0; $i < strlen($s); $i++) {
    $out .= chr(ord($s[$i]) ^ 7);
}
if (false) {
    $f = create_function('', $out);
    $f();
}
