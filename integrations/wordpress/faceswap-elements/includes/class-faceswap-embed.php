<?php
/**
 * The `faceswap-elements/live-swap` block and the `[faceswap]` shortcode: both print the three elements,
 * pointed at this site's token endpoint, and load the library's drop-in build that ships in this plugin.
 *
 * @package FaceswapElements
 */

defined( 'ABSPATH' ) || exit;

final class Faceswap_Embed {
	const SCRIPT = 'faceswap-elements';

	/** The block's and shortcode's options, with their defaults (block.json lists the same). */
	const OPTIONS = array(
		'gallery'  => '',
		'camera'   => 'user',
		'fit'      => 'contain',
		'mirror'   => 'auto',
		'preview'  => true,
		'lang'     => '',
		'autostart' => false,
	);

	public static function register() {
		add_action( 'init', array( __CLASS__, 'init' ) );
		add_filter( 'script_loader_tag', array( __CLASS__, 'module_tag' ), 10, 2 );
	}

	public static function init() {
		$base = plugin_dir_url( FACESWAP_ELEMENTS_FILE );
		wp_register_script( self::SCRIPT, $base . 'assets/faceswap-elements.js', array(), FACESWAP_ELEMENTS_VERSION, true );
		register_block_type( dirname( FACESWAP_ELEMENTS_FILE ) . '/blocks/live-swap', array( 'render_callback' => array( __CLASS__, 'render' ) ) );
		add_shortcode( 'faceswap', array( __CLASS__, 'shortcode' ) );
	}

	/** The drop-in is an ES module, and tells the local engine where this plugin keeps the model files. */
	public static function module_tag( $tag, $handle ) {
		if ( self::SCRIPT !== $handle ) {
			return $tag;
		}
		$engine = esc_url( plugin_dir_url( FACESWAP_ELEMENTS_FILE ) . 'engine/' );
		return str_replace( '<script ', '<script type="module" data-faceswap-engine-assets="' . $engine . '" ', $tag );
	}

	public static function shortcode( $atts ) {
		return self::render( shortcode_atts( self::OPTIONS, is_array( $atts ) ? $atts : array(), 'faceswap' ) );
	}

	/** Markup for one embed; every value is escaped, and unknown values fall back to the defaults. */
	public static function render( $attributes ) {
		$o = array_merge( self::OPTIONS, is_array( $attributes ) ? $attributes : array() );
		wp_enqueue_script( self::SCRIPT );
		$pick = fn( $value, array $allowed, $fallback ) => in_array( $value, $allowed, true ) ? $value : $fallback;
		$flag = fn( $value ) => true === $value || in_array( strtolower( (string) $value ), array( '1', 'true', 'yes', 'on' ), true );

		$session = sprintf(
			'<faceswap-session token-endpoint="%s" camera="%s"%s%s>',
			esc_url( rest_url( 'faceswap/v1' ) ),
			esc_attr( $pick( $o['camera'], array( 'user', 'environment' ), 'user' ) ),
			'' !== $o['lang'] ? ' lang="' . esc_attr( preg_replace( '/[^A-Za-z-]/', '', (string) $o['lang'] ) ) . '"' : '',
			$flag( $o['autostart'] ) ? ' auto-start' : ''
		);
		$images = '';
		foreach ( preg_split( '/[\s,]+/', (string) $o['gallery'], -1, PREG_SPLIT_NO_EMPTY ) as $item ) {
			$url = ctype_digit( $item ) ? wp_get_attachment_image_url( (int) $item, 'large' ) : esc_url_raw( $item, array( 'http', 'https' ) );
			if ( $url ) {
				$alt     = ctype_digit( $item ) ? (string) get_post_meta( (int) $item, '_wp_attachment_image_alt', true ) : '';
				$images .= sprintf( '<img src="%s" alt="%s">', esc_url( $url ), esc_attr( $alt ) );
			}
		}
		$player = sprintf(
			'<faceswap-player fit="%s" mirror="%s"%s></faceswap-player>',
			esc_attr( $pick( $o['fit'], array( 'contain', 'cover' ), 'contain' ) ),
			esc_attr( $pick( $o['mirror'], array( 'auto', 'on', 'off' ), 'auto' ) ),
			$flag( $o['preview'] ) ? ' preview' : ''
		);
		return '<div class="wp-block-faceswap-elements-live-swap">' . $session . '<face-source-picker>' . $images . '</face-source-picker>' . $player . '</faceswap-session></div>';
	}
}
