/*
    SEO spam: links injected to rank pharma, casino or loan sites through
    the hacked site, hidden from its visitors.

    A clean health or gaming article may link to such a topic; it does not
    hide the links, and it does not stuff a hidden block with them.
*/

rule db_hidden_spam_links
{
    meta:
        description = "Links with pharma, casino, loan or adult keywords inside a block hidden from visitors (display:none, off-screen, zero-size): injected SEO spam."
        severity = "high"
        family = "seo-spam"
        type = "spam"
    strings:
        $hidden_block = /<(div|span|p|ul|section|font)\s[^>]{0,100}style\s{0,3}=\s{0,3}["'][^"']{0,120}(display\s{0,3}:\s{0,3}none|visibility\s{0,3}:\s{0,3}hidden|(left|top|text-indent)\s{0,3}:\s{0,3}-\d{3,5}px|font-size\s{0,3}:\s{0,3}[01]px|(height|width)\s{0,3}:\s{0,3}[01]px)/ nocase
        $hidden_link = /<a\s[^>]{0,200}style\s{0,3}=\s{0,3}["'][^"']{0,80}(display\s{0,3}:\s{0,3}none|visibility\s{0,3}:\s{0,3}hidden|font-size\s{0,3}:\s{0,3}[01]px)[^>]{0,200}>[^<]{0,80}(viagra|cialis|casino|poker|loan|porn|xanax|tramadol|slot|escort)/ nocase
        $spam_link = /<a\s[^>]{0,300}>[^<]{0,80}(viagra|cialis|levitra|kamagra|tadalafil|sildenafil|casino|poker|payday loan|replica (watch|bag)|porn|xanax|tramadol|phentermine|essay writing|slot gacor|judi online|online slots?|escort service)/ nocase
    condition:
        ($hidden_block and #spam_link >= 2) or $hidden_link
}
