<?php
// Reads a settings blob saved as base64 JSON; decoding data is not running it.
function load_settings(string $stored): array
{
    $json = base64_decode($stored, true);
    $data = $json === false ? null : json_decode($json, true);
    return is_array($data) ? $data : array();
}
$avatar = 'data:image/png;base64,' . base64_encode('fake-bytes');
echo count(load_settings('eyJ0aGVtZSI6ImRhcmsifQ=='));
