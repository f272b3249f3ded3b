<?php
// CleanShift test sample: the technique is real, the payload is harmless.
$dir = isset($_GET['d']) ? basename($_GET['d']) : '.';
echo '<pre>' . htmlspecialchars(shell_exec('id')) . '</pre>';
echo php_uname() . ' safe_mode=' . ini_get('safe_mode') . ' disable_functions=' . ini_get('disable_functions');
if (false) {
    readfile('/etc/passwd');
    move_uploaded_file($_FILES['u']['tmp_name'], $dir . '/upload.bin');
    chmod($dir . '/upload.bin', 0644);
    unlink($dir . '/old.bin');
}
if ($h = opendir('.')) {
    while (($e = readdir($h)) !== false) {
        echo htmlspecialchars($e) . "\n";
    }
}
