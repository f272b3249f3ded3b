/*
    Uploaders and droppers: PHP that writes new files onto the server, either
    what a visitor uploads (with no checks) or content it decodes or fetches
    from elsewhere.

    WordPress uploads go through wp_handle_upload, which checks type and
    name and never moves $_FILES[...] straight to a visitor-chosen path, and
    core never writes decoded or downloaded code to disk in one statement.
*/

private rule dropper_php_content
{
    strings:
        $tag_long = "<?php" nocase
        $tag_echo = "<?="
        $tag_short = /<\?[\s$@(a-wyzA-WYZ_]/
        $superglobal = /\$_(GET|POST|REQUEST|COOKIE|SERVER|FILES)\s{0,3}\[/
    condition:
        any of them
}

rule php_unchecked_file_upload
{
    meta:
        description = "Saves an uploaded file under the name or path the uploader chose, without any check: a tool for planting more malware."
        severity = "high"
        family = "uploader"
    strings:
        // The upload moved straight out of $_FILES to a name that comes
        // from the request itself.
        $move_direct = /\b(move_uploaded_file|copy|rename)\s{0,3}\(\s{0,3}@?\s{0,3}\$_FILES\s{0,3}\[[^\]\n]{1,40}\]\s{0,3}\[\s{0,3}["']tmp_name["']\s{0,3}\]\s{0,3},[^;\n]{0,120}\$_(FILES|POST|GET|REQUEST)/ nocase
        $move_any = /\b(move_uploaded_file|copy)\s{0,3}\(\s{0,3}@?\s{0,3}\$[A-Za-z_]\w{0,30}\s{0,3}[\[,]/ nocase
        $files = "$_FILES"
        // register_globals-era uploads arrive as $field and $field_name.
        $globals_upload = /\b(move_uploaded_file|copy)\s{0,3}\(\s{0,3}@?\s{0,3}\$[A-Za-z_]\w{0,30}\s{0,3},\s{0,3}["'][^"'\n]{0,40}\$[A-Za-z_]\w{0,30}_name\b/ nocase
        $form = "multipart/form-data" nocase
        $file_input = /type\s{0,3}=\s{0,3}\\?["']?file/ nocase
    condition:
        dropper_php_content and
        ($move_direct or
         (filesize < 8KB and $move_any and $files and ($form or $file_input)) or
         (filesize < 32KB and $globals_upload and $form and $file_input))
}

rule php_writes_decoded_or_remote_content
{
    meta:
        description = "Writes a file whose content is decoded from an embedded string, taken from the request or downloaded from a URL, the way droppers plant backdoors."
        severity = "high"
        family = "dropper"
    strings:
        // file_put_contents/fwrite straight from a decoder, from request
        // data or from a remote download.
        $write_decoded = /\b(file_put_contents|fwrite|fputs)\s{0,3}\([^;\n]{0,200}\b(base64_decode|gzinflate|gzuncompress|str_rot13|hex2bin|convert_uudecode|strrev)\s{0,3}\(/ nocase
        $write_request = /\b(file_put_contents|fwrite|fputs)\s{0,3}\([^;\n]{0,120},\s{0,3}@?\s{0,3}(stripslashes\s{0,3}\(\s{0,3})?\$_(GET|POST|REQUEST|COOKIE)\s{0,3}\[/ nocase
        $write_to_request = /\b(file_put_contents|fopen)\s{0,3}\(\s{0,3}@?\s{0,3}\$_(GET|POST|REQUEST|COOKIE)\s{0,3}\[/ nocase
        $write_remote = /\b(file_put_contents|fwrite|fputs)\s{0,3}\([^;\n]{0,120}\b(file_get_contents|curl_exec)\s{0,3}\(\s{0,3}["']https?:\/\// nocase
        // PHP source assembled at run time and written out, or a script
        // rewriting its own file.
        $write_php = /\b(fwrite|fputs|file_put_contents)\s{0,3}\([^;\n]{0,100}["']<\?php[^"'\n]{0,10}["']\s{0,3}\.\s{0,3}\$/ nocase
        $write_self = /\bfile_put_contents\s{0,3}\(\s{0,3}__FILE__\s{0,3},/ nocase
        $copy_remote = /\bcopy\s{0,3}\(\s{0,3}["'](https?|ftp):\/\/[^"'\n]{4,200}["']\s{0,3},/ nocase
    condition:
        dropper_php_content and any of them
}

rule php_remote_code_include
{
    meta:
        description = "Downloads code from a URL and runs it (include of a remote file, or eval of fetched content)."
        severity = "critical"
        family = "dropper"
    strings:
        $include_remote = /\b(include|include_once|require|require_once)\s{0,3}\(?\s{0,3}["'](https?|ftp):\/\// nocase
        $eval_remote = /\b(eval|assert)\s{0,3}\(\s{0,3}[^;\n]{0,40}\b(file_get_contents|curl_exec|stream_get_contents)\s{0,3}\(/ nocase
        $eval_fetched = /\b(eval|assert)\s{0,3}\(\s{0,3}["']\?>["']\s{0,3}\.\s{0,3}\$/ nocase
    condition:
        dropper_php_content and any of them
}

rule php_embedded_executable_dropper
{
    meta:
        description = "PHP that carries a native program (ELF or Windows executable) as an escaped string, writes it to disk and runs it."
        severity = "critical"
        family = "dropper"
    strings:
        // The magic number followed by at least 64 more escaped bytes: a
        // whole program, not a file-type check.
        $elf = /["']\\x7[fF]\\x45\\x4[cC]\\x46(\\x[0-9a-fA-F]{2}){64}/
        $pe = /["']\\x4[dD]\\x5[aA](\\x[0-9a-fA-F]{2}){64}/
        $write = /\b(file_put_contents|fwrite|fputs)\s{0,3}\(/ nocase
        $run = /\b(system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec)\s{0,3}\(/ nocase
    condition:
        dropper_php_content and ($elf or $pe) and $write and $run
}
