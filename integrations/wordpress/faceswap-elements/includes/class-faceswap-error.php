<?php
/**
 * The typed error of the token-endpoint protocol: a stable code, a human message, the HTTP status, and AKOOL's
 * business code when it came from AKOOL. Mirrors src/core/errors.ts and the handler's status table.
 *
 * @package FaceswapElements
 */

defined( 'ABSPATH' ) || exit;

class Faceswap_Error extends Exception {
	/** Stable code → HTTP status, as the Node handler answers them. */
	const STATUS = array(
		'bad-request'       => 400,
		'invalid-source'    => 400,
		'no-face'           => 400,
		'unauthorized'      => 401,
		'forbidden'         => 403,
		'not-found'         => 404,
		'method-not-allowed' => 405,
		'conflict'          => 409,
		'payload-too-large' => 413,
		'rate-limited'      => 429,
		'quota-exhausted'   => 429,
		'upstream-error'    => 502,
	);

	/** @var string */
	public $error_code;
	/** @var int */
	public $status;
	/** @var int|null */
	public $upstream_code;
	/** @var array<string,string> */
	public $headers = array();

	public function __construct( $code, $message, $status = null, $upstream_code = null, $headers = array() ) {
		parent::__construct( $message );
		$this->error_code    = 'method-not-allowed' === $code ? 'bad-request' : $code;
		$this->status        = $status ?? ( self::STATUS[ $code ] ?? 502 );
		$this->upstream_code = $upstream_code;
		$this->headers       = $headers;
	}

	public static function method_not_allowed( $allow ) {
		return new self( 'method-not-allowed', "Use $allow for this endpoint.", 405, null, array( 'Allow' => $allow ) );
	}

	/** The protocol's error body. */
	public function body() {
		$error = array(
			'code'    => $this->error_code,
			'message' => $this->getMessage(),
		);
		if ( null !== $this->upstream_code ) {
			$error['upstreamCode'] = $this->upstream_code;
		}
		return array( 'error' => $error );
	}
}
