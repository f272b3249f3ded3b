<?php
/**
 * CleanShift test sample: laid out like a commercially encoded extension.
 * Whole method bodies are packed inside a declared class, each one an
 * indented statement; nothing runs when the file itself is requested.
 */

class Example_Reports_Helper_Licence extends Example_Core_Helper_Abstract
{
    private $licenceHash = 'b1946ac92492d2347c6235b4d2611184';
    private $valid = false;

    public function getEdition()
    {
        @eval(gzinflate(base64_decode('K0otKS3KU0gsKkqs1FBPTcksyczPU1ewtVNQT87PzS3NyyypVNdRUC9OTSwpBoubaloDAA==')));
    }

    public function checkHost($host)
    {
        $parts = array(
            'UynJyCzWtStLzMlMUbBVyE0x1SguKSrJz8kvTy3SKCnKzNVQycgvLtHU1FSwtbVVUIGoz8lMTs1LTvVILM6wBgA=',
        );
        eval(gzinflate(base64_decode($parts[0])));
        return $this->valid;
    }

    public function versionAction(){eval(str_rot13('rpub \'pyrnafuvsg-grfg \' . CUC_IREFVBA;'));}
}
