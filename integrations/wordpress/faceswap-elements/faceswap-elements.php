<?php
/**
 * Plugin Name:       Faceswap Elements
 * Description:       Live face swap (AKOOL Live Face Swap, or the in-browser engine) on any page: a block and a [faceswap] shortcode. The token endpoint runs on the WordPress REST API, so the AKOOL key stays on the server.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      8.0
 * License:           MIT
 * Text Domain:       faceswap-elements
 *
 * @package FaceswapElements
 */

defined( 'ABSPATH' ) || exit;

define( 'FACESWAP_ELEMENTS_VERSION', '0.1.0' );
define( 'FACESWAP_ELEMENTS_FILE', __FILE__ );

require_once __DIR__ . '/includes/class-faceswap-error.php';
require_once __DIR__ . '/includes/class-faceswap-settings.php';
require_once __DIR__ . '/includes/class-faceswap-akool-client.php';
require_once __DIR__ . '/includes/class-faceswap-store.php';
require_once __DIR__ . '/includes/class-faceswap-rate-limit.php';
require_once __DIR__ . '/includes/class-faceswap-proxies.php';
require_once __DIR__ . '/includes/class-faceswap-detect.php';
require_once __DIR__ . '/includes/class-faceswap-endpoint.php';
require_once __DIR__ . '/includes/class-faceswap-embed.php';

register_activation_hook( __FILE__, array( 'Faceswap_Plugin', 'activate' ) );
register_deactivation_hook( __FILE__, array( 'Faceswap_Plugin', 'deactivate' ) );

/** Wires the pieces together; each class owns one concern. */
final class Faceswap_Plugin {
	const CRON_HOOK = 'faceswap_elements_reap';

	public static function boot() {
		Faceswap_Settings::register();
		Faceswap_Endpoint::register();
		Faceswap_Embed::register();
		add_filter( 'cron_schedules', array( __CLASS__, 'cron_schedules' ) );
		add_action( self::CRON_HOOK, array( __CLASS__, 'reap' ) );
	}

	public static function activate() {
		Faceswap_Store::install();
		Faceswap_Settings::ensure_secret();
		if ( ! wp_next_scheduled( self::CRON_HOOK ) ) {
			wp_schedule_event( time() + 60, 'faceswap_minute', self::CRON_HOOK );
		}
	}

	public static function deactivate() {
		wp_clear_scheduled_hook( self::CRON_HOOK );
	}

	public static function cron_schedules( $schedules ) {
		$schedules['faceswap_minute'] = array(
			'interval' => 60,
			'display'  => 'Every minute (faceswap reaper)',
		);
		return $schedules;
	}

	/** WP-Cron pass: close silent and over-long sessions so they stop billing. */
	public static function reap() {
		$endpoint = Faceswap_Endpoint::from_settings();
		if ( $endpoint ) {
			$endpoint->reap();
		}
	}
}

Faceswap_Plugin::boot();
