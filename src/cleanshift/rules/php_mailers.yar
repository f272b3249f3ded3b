/*
    Mailers: PHP pages that send mail to lists of addresses typed or uploaded
    by a visitor, used to send spam and phishing from a hacked host.

    WordPress and contact-form plugins send mail through wp_mail to
    addresses set by the site owner; they never split a posted list of
    recipients and loop over it with mail().
*/

private rule mailer_php_content
{
    strings:
        $tag_long = "<?php" nocase
        $tag_echo = "<?="
        $tag_short = /<\?[\s$@(a-wyzA-WYZ_]/
        $superglobal = /\$_(GET|POST|REQUEST|COOKIE|SERVER|FILES)\s{0,3}\[/
    condition:
        any of them
}

rule php_bulk_mailer
{
    meta:
        description = "Sends mail in a loop to a list of recipients posted in the request, the shape of a spam or phishing mailer."
        severity = "high"
        family = "mailer"
    strings:
        $split = /\b(explode|split|preg_split)\s{0,3}\(\s{0,3}["']((\\r)?\\n|[\/#][\\\[\]rn,;\s+]{2,16}[\/#][a-z]{0,3})["']/ nocase
        $list_field = /\$_(POST|REQUEST)\s{0,3}\[\s{0,3}["'](emails?|lista?|maillist|mail_list|to|recipients?)["']\s{0,3}\]/ nocase
        $mail = /[^\w>:$]mail\s{0,3}\(\s{0,3}\$/ nocase
        $phpmailer_send = /->\s{0,3}Send\s{0,3}\(\s{0,3}\)/
        $smtp_raw = /["'](RCPT TO|MAIL FROM)\s{0,2}:/ nocase
        $request = /\$_(POST|GET|REQUEST)\s{0,3}\[/
        $loop = /\b(for|foreach|while)\s{0,3}\(/
    condition:
        mailer_php_content and ($split or $list_field) and ($mail or $phpmailer_send or $smtp_raw) and $request and $loop
}

rule php_open_mail_relay
{
    meta:
        description = "Passes recipient, subject or body from the web request straight to mail(), turning the site into an open mail relay."
        severity = "high"
        family = "mailer"
    strings:
        $relay = /[^\w>:$]mail\s{0,3}\(\s{0,3}@?\s{0,3}(stripslashes\s{0,3}\(\s{0,3})?\$_(POST|GET|REQUEST)\s{0,3}\[/ nocase
    condition:
        mailer_php_content and $relay
}
