/*
    JavaScript card skimmers and the obfuscation they hide behind.

    A skimmer waits for a checkout page, reads the card and billing fields
    and sends them to the attacker. Clean checkout code reads card fields
    too, but hands them to the payment provider's own library; it does not
    test the page address for "checkout|onepage", serialise every input and
    post it to a third host. The obfuscation rules look for tricks that
    minifiers never produce (eval reached through a string index, identity
    function farms, opaque character predicates).
*/

rule js_checkout_data_exfiltration
{
    meta:
        description = "Script that watches for checkout pages, collects card or form fields and sends them to another server: a card skimmer."
        severity = "critical"
        family = "skimmer"
    strings:
        // Skimmers only wake up on checkout pages.
        $url_test1 = /RegExp\s{0,3}\(\s{0,3}["'][^"'\n]{0,80}(onepage|checkout|onestep)[^"'\n]{0,80}["']/ nocase
        $url_test2 = /location[^;\n]{0,40}(indexOf|search|match|test|includes)\s{0,3}\(\s{0,3}["'\/][^"'\n]{0,30}(onepage|checkout|onestep)/ nocase
        $url_test3 = /\/[a-z|]{0,60}(onepage|checkout|onestep)[a-z|]{0,60}\/[gi]{0,2}\.test\s{0,3}\(\s{0,3}(window\.|document\.)?location/ nocase
        // Card fields as Magento and other carts name them.
        $card1 = /payment\[cc_(number|cid|owner|exp)/ nocase
        $card2 = /["'\[=*]\s{0,3}(cc_number|cc_num|cc_cid|cc_cvv|ccnumber|card_number|cardnumber|cvv2|cc_exp)/ nocase
        $card3 = /billing\[(firstname|street|telephone|postcode)/ nocase
        // Everything in the form, at once.
        $harvest1 = /querySelectorAll\s{0,3}\(\s{0,3}["']input\s{0,3},\s{0,3}select/ nocase
        $harvest2 = /\.serialize\s{0,3}\(\s{0,3}\)/
        $harvest3 = /\.name\s{0,3}\+\s{0,3}["']=["']\s{0,3}\+\s{0,3}\w{1,20}(\[\w{1,10}\])?\.value/
        // Ways out.
        $exfil1 = "XMLHttpRequest"
        $exfil2 = /\.ajax\s{0,3}\(/
        $exfil3 = /new\s{1,3}Image\s{0,3}\(/
        $exfil4 = "sendBeacon"
        $exfil5 = /new\s{1,3}WebSocket\s{0,3}\(/
        $exfil6 = /\bfetch\s{0,3}\(\s{0,3}["'h]/
        $exfil7 = /\.attr\s{0,3}\(\s{0,3}["']href["']\s{0,3},\s{0,3}["']\/\//
        $encode1 = /\bbtoa\s{0,3}\(/
        $encode2 = "JSON.stringify"
        $encode3 = /base64_?encode/ nocase
        // A request aimed at a host written into the script.
        $remote = /(url\s{0,3}:|\.open\s{0,3}\(\s{0,3}["']POST["']\s{0,3},|fetch\s{0,3}\(|\.src\s{0,3}=)\s{0,3}["'](https?:)?\/\/[a-z0-9-]{1,60}\./ nocase
    condition:
        any of ($exfil*) and
        (
            (any of ($url_test*) and (any of ($harvest*) or any of ($card*) or any of ($encode*))) or
            (any of ($card*) and any of ($harvest*) and any of ($encode*)) or
            (#card1 + #card2 >= 3 and any of ($encode*) and $remote)
        )
}

rule js_fake_payment_form
{
    meta:
        description = "Script that writes its own credit-card form into the checkout page, to capture card numbers typed into it."
        severity = "critical"
        family = "skimmer"
    strings:
        $form_field = /<input[^>\n]{0,200}name=\\?["']payment\[cc_(number|cid)\]/ nocase
        $inject = /\.(innerHTML|insertAdjacentHTML|append|prepend|html)\s{0,3}(=|\()/
        $write_var = /\b(var|let|const)\s{1,3}\w{1,30}\s{0,3}=\s{0,3}["']<(ul|div|form|li)[^"'\n]{0,100}payment/ nocase
    condition:
        $form_field and ($inject or $write_var)
}

rule js_redirect_to_fake_payment_page
{
    meta:
        description = "Script that swaps the checkout buttons for its own handler and sends shoppers to an outside payment page."
        severity = "high"
        family = "skimmer"
    strings:
        $hijack = /\[onclick\^?=\\?["'](shippingMethod|checkout|payment|review)\.save\(\)/ nocase
        $attr = /\.attr\s{0,3}\(\s{0,3}["']onclick["']/
        $away = /(location\.href\s{0,3}=|\.attr\s{0,3}\(\s{0,3}["']href["'])/
        $encode = /\bbtoa\s{0,3}\(|JSON\.stringify/
    condition:
        $hijack and $attr and $away and $encode
}

rule js_cookie_stealer
{
    meta:
        description = "Script that sends the visitor's cookies and page address to another server through an image request."
        severity = "high"
        family = "skimmer"
    strings:
        $image_src = /\.src\s{0,3}=\s{0,3}["']https?:\/\/[^"'\n]{4,200}["']\s{0,3}\+/
        $cookie = /(escape|encodeURIComponent|btoa)\s{0,3}\(\s{0,3}\(?[^)\n]{0,60}document\.cookie/
        $image = /new\s{1,3}Image\s{0,3}\(/
    condition:
        $image and $image_src and $cookie
}

rule js_eval_through_string_index
{
    meta:
        description = "Calls eval through a string index such as this['eval'] on an encoded payload, hiding the call from simple searches."
        severity = "high"
        family = "obfuscation"
    strings:
        // jQuery Form's window['eval']('(' + s + ')') is the one clean use
        // seen; it evaluates a short JSON wrapper, which this does not match.
        $bracket_eval = /(this|window|self|top|document|\]|\))\s{0,3}\[\s{0,3}["'](eval|ev["']\s{0,3}\+\s{0,3}["']al|e["']\s{0,3}\+\s{0,3}["']val)["']\s{0,3}\]\s{0,3}\(\s{0,3}(this\s{0,3}\[|window\s{0,3}\[|String|unescape|atob|decodeURI|["'][^"'\n]{40}|[A-Za-z_$][A-Za-z0-9_$]{0,20}\s{0,3}\))/
        $eval_decoded = /\beval\s{0,3}\(\s{0,3}(atob|unescape|decodeURIComponent|String\.fromCharCode|escape)\s{0,3}\(/
        $function_decoded = /\bFunction\s{0,3}\(\s{0,3}(atob|unescape|String\.fromCharCode)\s{0,3}\(/
    condition:
        any of them
}

rule js_packed_or_charcode_payload
{
    meta:
        description = "Script packed with the p,a,c,k,e,d packer or built from long String.fromCharCode number lists, the usual wrapping of injected JavaScript."
        severity = "medium"
        family = "obfuscation"
    strings:
        $packer = /eval\s{0,3}\(\s{0,3}function\s{0,3}\(\s{0,3}p\s{0,3},\s{0,3}a\s{0,3},\s{0,3}c\s{0,3},\s{0,3}k\s{0,3},\s{0,3}e\s{0,3},\s{0,3}[dr]\s{0,3}\)/
        $charcode = /fromCharCode["'\]]{0,2}\s{0,3}\(\s{0,3}\d{2,3}\s{0,3}(,\s{0,3}\d{2,3}\s{0,3}){10}/
    condition:
        any of ($packer, $charcode)
}

rule js_hex_string_array_obfuscation
{
    meta:
        description = "Script whose strings are all stored as hex escapes in an _0x array and that hides checkout or card vocabulary among them, the way obfuscated skimmers are shipped."
        severity = "high"
        family = "obfuscation"
    strings:
        $array = /var\s{1,3}_0x[0-9a-f]{3,6}\s{0,3}=\s{0,3}\[\s{0,3}["'](\\x[0-9a-fA-F]{2}){3}/
        $hex_run = /(\\x[2-7][0-9a-fA-F]){12}/
        // Commercial extensions run their licence and install dialogs
        // through the same obfuscator, so the array alone proves nothing.
        // What a skimmer hides there is what it hunts for: checkout page
        // names and card or billing fields, written as escapes in either
        // letter case (a licence wizard's escaped strings hold none).
        $hidden_checkout = /\\x[46]3\\x[46]8\\x[46]5\\x[46]3\\x[46][bB]\\x[46][fF]\\x[57]5\\x[57]4/
        $hidden_onepage = /\\x[46][fF]\\x[46][eE]\\x[46]5\\x[57]0\\x[46]1\\x[46]7\\x[46]5/
        $hidden_billing = /\\x[46]2\\x[46]9\\x[46][cC]\\x[46][cC]\\x[46]9\\x[46][eE]\\x[46]7/
        $hidden_payment = /\\x[57]0\\x[46]1\\x[57]9\\x[46][dD]\\x[46]5\\x[46][eE]\\x[57]4/
        $hidden_cc_field = /(["'\[=*]|\\x(22|27|5[bB]|3[dD]|2[aA]))\\x[46]3\\x[46]3\\x5[fF]/
        $hidden_cvv = /\\x[46]3\\x[57]6(\\x[57]6|\\x[46]3)/
        // A script element built from hidden strings: a skimmer loader.
        $hidden_script_tag = /\\x3[cC]\\x[57]3\\x[46]3\\x[57]2\\x[46]9\\x[57]0\\x[57]4/
        $hidden_script_name = /["']\\x[57]3\\x[46]3\\x[57]2\\x[46]9\\x[57]0\\x[57]4["']/
        // PHP files are judged by the PHP rules.
        $php = "<?php" nocase
    condition:
        ($array or (#hex_run >= 5 and not $php)) and any of ($hidden_*)
}

rule js_string_permutation_decoder
{
    meta:
        description = "Script that unscrambles its strings with a character-permutation loop, a trick used by Magecart skimmers to hide URLs and field names."
        severity = "high"
        family = "obfuscation"
    strings:
        // for(...;r.length<n.length;t=(t+i)%n.length) r+=n.charAt(t)
        $permute = /[a-zA-Z_$]{1,3}\s{0,2}=\s{0,2}\(\s{0,2}[a-zA-Z_$]{1,3}\s{0,2}\+\s{0,2}[a-zA-Z_$]{1,3}\s{0,2}\)\s{0,2}%\s{0,2}[a-zA-Z_$]{1,3}(\.length)?\s{0,2}\)\s{0,2}[a-zA-Z_$]{1,3}\s{0,2}\+=\s{0,2}[a-zA-Z_$]{1,3}\.charAt\s{0,2}\(/
        $identity = /=\s{0,2}function\s{0,2}\(\s{0,2}[a-z]\s{0,2}\)\s{0,2}\{\s{0,2}return\s{1,2}[a-z]\s{0,2};?\s{0,2}\}/
        $opaque = /\(\s{0,2}\d{1,3}\s{0,2}[<>]\s{0,2}\d{1,3}\s{0,2}\?\s{0,2}["']\\x[0-9a-fA-F]{2}["']\s{0,2}:\s{0,2}["']\\x[0-9a-fA-F]{2}["']\s{0,2}\)/
    condition:
        ($permute or #identity >= 15 or #opaque >= 3)
}

rule js_devtools_evasion
{
    meta:
        description = "Script that checks whether the browser's developer tools are open and hides itself if so, typical of card skimmers."
        severity = "medium"
        family = "skimmer"
    strings:
        $firebug = /Firebug\s{0,2}&&\s{0,2}window\.Firebug\.chrome\s{0,2}&&\s{0,2}window\.Firebug\.chrome\.isInitialized/
        $width = /outerWidth\s{0,2}-\s{0,2}window\.innerWidth\s{0,2}>/
        $height = /outerHeight\s{0,2}-\s{0,2}window\.innerHeight\s{0,2}>/
        $collect = /JSON\.stringify|\.serialize\s{0,2}\(|XMLHttpRequest|\.ajax\s{0,2}\(/
    condition:
        ($firebug or ($width and $height)) and $collect
}
