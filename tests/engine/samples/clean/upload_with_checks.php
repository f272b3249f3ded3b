<?php
// Accepts only small PNG files and stores them under a generated name.
if (isset($_FILES['avatar']) && $_FILES['avatar']['error'] === UPLOAD_ERR_OK) {
    $info = getimagesize($_FILES['avatar']['tmp_name']);
    if ($info !== false && $info[2] === IMAGETYPE_PNG && $_FILES['avatar']['size'] < 200000) {
        $target = __DIR__ . '/uploads/' . bin2hex(random_bytes(8)) . '.png';
        move_uploaded_file($_FILES['avatar']['tmp_name'], $target);
    }
}
