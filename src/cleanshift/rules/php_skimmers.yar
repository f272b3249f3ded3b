/*
    Server-side skimmers and credential stealers: PHP injected into shop or
    CMS code that copies card numbers, logins or order data and mails them,
    posts them to a third host or hides them in a file.

    Payment modules read card fields too, but hand them to the gateway
    through its configured API; they do not mail them to a literal address,
    post them to a raw IP, append them to a local file or stash them in
    cookies.
*/

private rule skimmer_php_content
{
    strings:
        $tag_long = "<?php" nocase
        $tag_echo = "<?="
        $tag_short = /<\?[\s$@(a-wyzA-WYZ_]/
        $superglobal = /\$_(GET|POST|REQUEST|COOKIE|SERVER|FILES)\b/
    condition:
        any of them
}

rule php_payment_data_exfiltration
{
    meta:
        description = "Shop code that collects card numbers, CVV codes or billing data and sends them out by mail, to an outside server, into cookies or into a hidden file."
        severity = "critical"
        family = "skimmer"
    strings:
        $card1 = /getCc(Number|Cid|ExpMonth|ExpYear|Owner)\s{0,3}\(\s{0,3}\)/
        $card2 = /\[\s{0,3}\\?["'](cc_number|cc_cid|cc_exp_month|cc_exp_year|cc_owner|cardnumber|card_number|cvv2?|cvc)\\?["']\s{0,3}\]/ nocase
        $card3 = /\$_(POST|REQUEST|COOKIE)\s{0,3}\[\s{0,3}\\?["'](payment|billing)\\?["']\s{0,3}\]/ nocase
        $card4 = /\$_COOKIE\s{0,3}\[\s{0,3}["'][a-z_]{0,20}(number|cvv|cvc|owner|month|year)["']\s{0,3}\]/ nocase
        $mail = /[^\w>:$]mail\s{0,3}\(/ nocase
        $raw_ip = /["']https?:\/\/\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}[\/:"']/
        $url_var = /=\s{0,3}["']https?:\/\/[a-z0-9.-]{4,80}\/[^"'\s]{0,100}\.php["']\s{0,3};/ nocase
        $append = /fopen\s{0,3}\([^;]{0,160},\s{0,3}["']a\+?["']\s{0,3}\)|FILE_APPEND/
        $encode = /\bbase64_encode\s{0,3}\(/
        $cookie_set = /\bsetcookie\s{0,3}\([^;]{0,80}base64_encode/ nocase
        $curl = /\bcurl_(init|exec)\s{0,3}\(/
        $email_literal = /["'][a-z0-9._-]{2,40}@(gmail|yahoo|ymail|hotmail|outlook|aol|mail|yandex|protonmail|gmx)\.[a-z]{2,4}["']/ nocase
        $geoip = /(geoplugin\.net|telize\.com|ip-api\.com|ipinfo\.io|binlist\.net|bins\.ribbon|freegeoip)/ nocase
        // The whole checkout POST handed to a helper and shipped to a URL
        // written into the code.
        $post_payment = /\(\s{0,3}\$_POST\s{0,3}(,|\))|\$_POST\s{0,3}\[\s{0,3}["']payment["']/
        $billing = /getBillingAddress\s{0,3}\(\s{0,3}\)/
        // ... from an order event, or with the order at hand.
        $order = /getEvent\s{0,3}\(\s{0,3}\)\s{0,3}->\s{0,3}getOrder\s{0,3}\(|["']sales\/order["']/
        $postfields = "CURLOPT_POSTFIELDS"
    condition:
        skimmer_php_content and
        (
            ($post_payment and ($billing or $order) and $url_var and $postfields) or
            ((#card1 + #card2 + #card3 + #card4 >= 2) and
             ($mail or $raw_ip or $append or $cookie_set or $email_literal or $geoip or
              ($encode and ($curl or $url_var))))
        )
}

rule php_credential_report_mailer
{
    meta:
        description = "Builds a report of stolen logins or card details ('Password:', 'Card Number:') from submitted data and mails or posts it to the attacker."
        severity = "critical"
        family = "skimmer"
    strings:
        $label = /["'][^"'\n]{0,30}(pass(word)?|card ?(number|no)|cc ?(num|number)|cvv2?|cvc|cid|expir(y|ation)|user ?name|login|ssn|pin)\s{0,3}:?[^"'\n]{0,10}["']\s{0,3}\.\s{0,3}\$/ nocase
        $mail = /[^\w>:$]mail\s{0,3}\(/ nocase
        $curl_post = /CURLOPT_POSTFIELDS/
        $write = /\bfwrite\s{0,3}\(|\bfile_put_contents\s{0,3}\(/
        $request = /\$_(POST|GET|REQUEST)\s{0,3}\[/
        $login_data = /\$login\s{0,3}\[\s{0,3}["']password["']\s{0,3}\]/
        $geoip = /(geoplugin\.net|telize\.com|ip-api\.com|ipinfo\.io|binlist\.net|bins\.ribbon|freegeoip)/ nocase
        $email_literal = /["'][a-z0-9._-]{2,40}@(gmail|yahoo|ymail|hotmail|outlook|aol|mail|yandex|protonmail|gmx)\.[a-z]{2,4}["']/ nocase
    condition:
        skimmer_php_content and #label >= 2 and ($mail or $curl_post or $write) and ($request or $login_data or $geoip or $email_literal)
}

rule php_request_data_logger
{
    meta:
        description = "Appends everything posted to the site (logins, card data, forms) to a file or ships it out, a way of harvesting visitors' data."
        severity = "high"
        family = "skimmer"
    strings:
        $dump_request = /\b(file_put_contents|fwrite|fputs|error_log)\s{0,3}\([^;\n]{0,100}\b(json_encode|serialize|print_r|var_export|implode|http_build_query)\s{0,3}\(\s{0,3}(["'][^"'\n]{0,5}["']\s{0,3},\s{0,3})?\$_(POST|REQUEST|GET|COOKIE)\s{0,3}[,)]/ nocase
        $implode_post = /\b(multi_implode\w{0,10}|implode|http_build_query|serialize|json_encode)\s{0,3}\(\s{0,3}(["'][^"'\n]{0,5}["']\s{0,3},\s{0,3})?\$_POST\s{0,3}[,)]/
        $encode = /\bbase64_encode\s{0,3}\(/
        $out = /\b(curl_exec|fsockopen|setcookie|mail)\s{0,3}\(|file_get_contents\s{0,3}\(\s{0,3}["']https?:/
    condition:
        skimmer_php_content and ($dump_request or ($implode_post and $encode and $out))
}

rule php_stored_card_data_reader
{
    meta:
        description = "A standalone script that boots the shop and reads the card data stored with its orders or quotes, the way skimmers harvest a shop's payment tables."
        severity = "critical"
        family = "skimmer"
    strings:
        // Only entry scripts load the shop by hand; shop code that handles
        // payments is loaded by the shop and never does.
        $boot_magento1 = /\b(require|include)(_once)?\s{0,3}\(?\s{0,3}["'][^"'\n]{0,200}app\/Mage\.php["']/
        $boot_magento2 = /\b(require|include)(_once)?\s{0,3}\(?\s{0,3}["'][^"'\n]{0,200}app\/bootstrap\.php["']/
        $boot_wordpress = /\b(require|include)(_once)?\s{0,3}\(?\s{0,3}["'][^"'\n]{0,200}wp-load\.php["']/
        $stored_card = /\b(cc_number_enc|cc_cid_enc|cc_number|cc_cid|cc_exp_month|cc_exp_year|_card_number|_cc_number)\b/
        $payment_table = /sales(_flat)?_(order|quote)_payment|["']sales\/(order|quote)_payment["']|woocommerce_payment_tokens/
        $decrypt = /->\s{0,3}decrypt\s{0,3}\(|getCc(Number|Cid)\s{0,3}\(/
    condition:
        skimmer_php_content and filesize < 100KB and
        any of ($boot_*) and $stored_card and ($payment_table or $decrypt)
}
