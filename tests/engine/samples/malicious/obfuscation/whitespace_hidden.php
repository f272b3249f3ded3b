<?php                                                                                                                                                                echo 'cleanshift-test';
