import FleetCore
import CLibvirt
import CShims
