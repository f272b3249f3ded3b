<?php
/**
 * CleanShift test sample: a packed payload pasted into a method of an
 * otherwise ordinary class, without the method's indentation.
 */

class Example_Checkout_Model_Payment
{
    public function savePayment(array $data)
    {
        if (empty($data)) {
            return array('error' => -1);
        }
eval(gzinflate(base64_decode('S03OyFdQT85JTcwrzshMK9EtSS0uUbcGAA==')));
        $this->payment = $data;
        return array();
    }
}
