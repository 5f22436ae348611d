<?php
/**
 * Settings → Face swap: the AKOOL key (stored server-side and never printed back), the engine, the AKOOL base
 * URL (or the emulator's), the origins allowed to call cross-origin, the trusted proxies in front of the site, and
 * the billing budget (the same limits and defaults as createFaceswapHandler's options). The key may also
 * come from wp-config.php (`define( 'FACESWAP_AKOOL_API_KEY', '…' )`), which keeps it out of the database.
 *
 * @package FaceswapElements
 */

defined( 'ABSPATH' ) || exit;

final class Faceswap_Settings {
	const OPTION     = 'faceswap_elements_settings';
	const KEY_OPTION = 'faceswap_elements_api_key';
	const SECRET     = 'faceswap_elements_secret';
	const PAGE       = 'faceswap-elements';

	const DEFAULTS = array(
		'engine'                => 'akool',
		'base_url'              => 'https://openapi.akool.com',
		'detect_url'            => '',
		'allowed_origins'       => '',
		'trusted_proxies'           => '',
		'heartbeat_timeout_s'       => 45,
		'max_session_min'           => 55,
		'sessions_per_minute'       => 10,
		'detects_per_minute'        => 30,
		'max_sessions_per_ip'       => 2,
		'max_sessions_total'        => 20,
		'source_updates_per_minute' => 10,
		'heartbeats_per_minute'     => 20,
		'max_concurrent_detects'    => 4,
		'upstream_timeout_s'        => 15,
		'late_create_timeout_s'     => 120,
	);

	/** The numeric settings (each at least 1). */
	const NUMBERS = array(
		'sessions_per_minute',
		'detects_per_minute',
		'max_sessions_per_ip',
		'max_sessions_total',
		'max_session_min',
		'source_updates_per_minute',
		'heartbeats_per_minute',
		'max_concurrent_detects',
		'upstream_timeout_s',
		'late_create_timeout_s',
	);

	public static function register() {
		add_action( 'admin_menu', array( __CLASS__, 'menu' ) );
		add_action( 'admin_init', array( __CLASS__, 'fields' ) );
	}

	/** @return array<string,mixed> */
	public static function all() {
		$saved = get_option( self::OPTION, array() );
		return array_merge( self::DEFAULTS, is_array( $saved ) ? $saved : array() );
	}

	public static function get( $name ) {
		return self::all()[ $name ] ?? null;
	}

	/** The AKOOL key: wp-config.php's constant wins over the stored option. Never echoed anywhere. */
	public static function api_key() {
		if ( defined( 'FACESWAP_AKOOL_API_KEY' ) && '' !== FACESWAP_AKOOL_API_KEY ) {
			return (string) FACESWAP_AKOOL_API_KEY;
		}
		return (string) get_option( self::KEY_OPTION, '' );
	}

	/** The sessionKey HMAC secret: 32 random bytes made on activation, never leaving the server. */
	public static function ensure_secret() {
		$secret = get_option( self::SECRET );
		if ( ! is_string( $secret ) || strlen( $secret ) < 32 ) {
			$secret = bin2hex( random_bytes( 32 ) );
			update_option( self::SECRET, $secret, false );
		}
		return $secret;
	}

	/** @return string[] */
	public static function allowed_origins() {
		$lines = preg_split( '/[\s,]+/', (string) self::get( 'allowed_origins' ), -1, PREG_SPLIT_NO_EMPTY );
		return array_values( array_filter( $lines, fn( $o ) => '*' === $o || preg_match( '#^https?://[^/\s]+$#', $o ) ) );
	}

	public static function menu() {
		add_options_page( 'Face swap', 'Face swap', 'manage_options', self::PAGE, array( __CLASS__, 'page' ) );
	}

	public static function fields() {
		register_setting(
			self::PAGE,
			self::OPTION,
			array(
				'type'              => 'array',
				'sanitize_callback' => array( __CLASS__, 'sanitize' ),
			)
		);
		add_settings_section( 'faceswap_main', '', '__return_false', self::PAGE );
		$fields = array(
			'api_key'             => 'AKOOL API key',
			'engine'              => 'Engine',
			'base_url'            => 'AKOOL base URL',
			'allowed_origins'     => 'Other origins allowed to call the endpoint',
			'trusted_proxies'           => 'Trusted proxies in front of this site',
			'sessions_per_minute'       => 'Sessions per visitor per minute',
			'max_sessions_per_ip'       => 'Concurrent sessions per visitor',
			'max_sessions_total'        => 'Concurrent sessions in all',
			'max_session_min'           => 'Maximum session length (minutes)',
			'source_updates_per_minute' => 'Face changes per session per minute',
			'heartbeats_per_minute'     => 'Heartbeats per session per minute',
			'max_concurrent_detects'    => 'Face detections at once',
			'upstream_timeout_s'        => 'AKOOL call timeout (seconds)',
			'late_create_timeout_s'     => 'Wait for a late session create, to close it (seconds)',
		);
		foreach ( $fields as $name => $label ) {
			add_settings_field( $name, $label, array( __CLASS__, 'field' ), self::PAGE, 'faceswap_main', array( 'name' => $name, 'label_for' => "faceswap-$name" ) );
		}
	}

	/** Settings API sanitiser. The key is taken from its own write-only field and stored apart, autoload off. */
	public static function sanitize( $input ) {
		$input = is_array( $input ) ? $input : array();
		$new_key = isset( $input['api_key'] ) ? trim( (string) $input['api_key'] ) : '';
		if ( ! empty( $input['api_key_clear'] ) ) {
			delete_option( self::KEY_OPTION );
		} elseif ( '' !== $new_key ) {
			update_option( self::KEY_OPTION, $new_key, false );
		}
		$out = self::all();
		$out['engine'] = in_array( $input['engine'] ?? '', array( 'akool', 'local' ), true ) ? $input['engine'] : $out['engine'];
		$base = esc_url_raw( trim( (string) ( $input['base_url'] ?? $out['base_url'] ) ), array( 'https', 'http' ) );
		$out['base_url'] = '' !== $base ? untrailingslashit( $base ) : self::DEFAULTS['base_url'];
		$out['allowed_origins']  = sanitize_textarea_field( (string) ( $input['allowed_origins'] ?? '' ) );
		$proxies = sanitize_textarea_field( (string) ( $input['trusted_proxies'] ?? '' ) );
		$invalid = Faceswap_Proxies::invalid_entries( $proxies );
		if ( array() === $invalid ) {
			$out['trusted_proxies'] = $proxies;
		} elseif ( function_exists( 'add_settings_error' ) ) {
			add_settings_error( self::OPTION, 'trusted_proxies', 'Trusted proxies not saved; not an address or range: ' . implode( ', ', $invalid ) );
		}
		foreach ( self::NUMBERS as $number ) {
			if ( isset( $input[ $number ] ) && is_numeric( $input[ $number ] ) ) {
				$out[ $number ] = max( 1, (int) $input[ $number ] );
			}
		}
		return $out;
	}

	public static function field( $args ) {
		$name  = $args['name'];
		$id    = esc_attr( "faceswap-$name" );
		$field = esc_attr( self::OPTION . "[$name]" );
		$value = self::get( $name );
		switch ( $name ) {
			case 'api_key':
				if ( defined( 'FACESWAP_AKOOL_API_KEY' ) ) {
					echo '<p>Set in <code>wp-config.php</code> (<code>FACESWAP_AKOOL_API_KEY</code>).</p>';
					return;
				}
				$saved = '' !== self::api_key();
				printf(
					'<input type="password" id="%s" name="%s" value="" autocomplete="new-password" class="regular-text" placeholder="%s">',
					$id,
					$field,
					esc_attr( $saved ? 'A key is saved (hidden). Type a new one to replace it.' : 'Paste your AKOOL API key' )
				);
				if ( $saved ) {
					printf( ' <label><input type="checkbox" name="%s" value="1"> Remove the saved key</label>', esc_attr( self::OPTION . '[api_key_clear]' ) );
				}
				echo '<p class="description">Stored on this server only; it is never sent to a browser or shown again.</p>';
				return;
			case 'engine':
				printf( '<select id="%s" name="%s">', $id, $field );
				foreach ( array( 'akool' => 'AKOOL (real service over Agora)', 'local' => 'In-browser engine (demo, against an AKOOL emulator)' ) as $option => $label ) {
					printf( '<option value="%s"%s>%s</option>', esc_attr( $option ), selected( $value, $option, false ), esc_html( $label ) );
				}
				echo '</select>';
				return;
			case 'allowed_origins':
				printf( '<textarea id="%s" name="%s" rows="3" class="large-text code">%s</textarea>', $id, $field, esc_textarea( (string) $value ) );
				echo '<p class="description">One origin per line (https://shop.example). This site itself is always allowed.</p>';
				return;
			case 'trusted_proxies':
				printf( '<textarea id="%s" name="%s" rows="2" class="large-text code">%s</textarea>', $id, $field, esc_textarea( (string) $value ) );
				echo '<p class="description">Addresses or ranges of your proxies or CDN (10.0.0.0/8, loopback, private). Only from these are X-Forwarded-For, Forwarded and X-Forwarded-Host believed; from anyone else they are ignored.</p>';
				return;
			default:
				$type = is_int( self::DEFAULTS[ $name ] ?? null ) ? 'number' : 'text';
				printf( '<input type="%s" id="%s" name="%s" value="%s" class="regular-text">', $type, $id, $field, esc_attr( (string) $value ) );
		}
	}

	public static function page() {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		echo '<div class="wrap"><h1>Face swap</h1><form method="post" action="options.php">';
		settings_fields( self::PAGE );
		do_settings_sections( self::PAGE );
		submit_button();
		echo '</form></div>';
	}
}
