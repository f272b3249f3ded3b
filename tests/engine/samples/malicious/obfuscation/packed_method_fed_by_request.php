<?php
// CleanShift test sample: a controller action that unpacks and runs
// whatever the request sends.

class Example_Tools_IndexController extends Example_Core_Controller
{
    public function syncAction()
    {
        $blob = $this->getRequest()->getParam('blob');
        if (false) {
            eval(gzinflate(base64_decode($blob)));
        }
    }
}
