<?php
// Editor globals the block script uses (what @wordpress/scripts would generate).
return array(
	'dependencies' => array( 'wp-blocks', 'wp-element', 'wp-block-editor', 'wp-components' ),
	'version'      => '0.1.0',
);
