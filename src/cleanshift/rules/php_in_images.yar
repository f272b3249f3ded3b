/*
    PHP hidden in images: a file that starts like a GIF, JPEG, PNG or BMP but
    carries PHP code, so that it passes "is it an image" checks and is then
    run through an include or a handler trick.

    Real images never contain "<?php" followed by code; the checks below
    need the tag followed by whitespace or a variable, which compressed image
    data does not produce by chance.
*/

rule php_code_in_image_file
{
    meta:
        description = "Image file (GIF, JPEG, PNG or BMP header) that contains PHP code, a common disguise for backdoors."
        severity = "critical"
        family = "php-in-image"
    strings:
        $php_tag = /<\?php[\s(]/ nocase
        $php_echo = /<\?=\s{0,3}\$/
        $php_code = /\b(eval|assert|system|shell_exec|passthru|base64_decode|gzinflate)\s{0,3}\(/ nocase
        $php_short = /<\?\s{1,3}(\$|@|eval|if|echo)/
    condition:
        (uint32be(0) == 0x47494638 or           // GIF8
         uint16be(0) == 0xFFD8 or               // JPEG
         uint32be(0) == 0x89504E47 or           // PNG
         (uint16be(0) == 0x424D and uint32(2) == filesize))  // BMP
        and ($php_tag or $php_echo or ($php_short and $php_code))
}
