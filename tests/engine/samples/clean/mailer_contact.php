<?php
// A contact form that mails the site owner only.
$owner = 'owner@example.com';
if (isset($_POST['message'])) {
    $body = substr(strip_tags((string) $_POST['message']), 0, 2000);
    mail($owner, 'Contact form', $body);
}
