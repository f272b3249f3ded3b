<?php
// CleanShift test sample: a class wrapper around a packed method, called at
// the top level so that requesting the file runs it.

class Example_Cache_Cleaner
{
    public function run()
    {
        @eval(gzinflate(base64_decode('S03OyFdQT85JTcwrzshMK9EtSS0uUbcGAA==')));
    }
}

$cleaner = new Example_Cache_Cleaner();
$cleaner->run();
